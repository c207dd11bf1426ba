import { XMLParser } from 'fast-xml-parser';

/** The CAS server said no: its failure code (INVALID_TICKET, INVALID_SERVICE, …). */
export class CasRefusal extends Error {
  constructor(readonly code: string, detail: string) {
    super(`${code}: ${detail}`);
  }
}

/** The CAS server could not be reached in time, or answered something that is not CAS. */
export class CasUnavailable extends Error {}

export interface CasPrincipal {
  user: string;
  attributes: Record<string, string[]>;
}

const parser = new XMLParser({
  removeNSPrefix: true,
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  parseTagValue: false,
  trimValues: true,
  processEntities: true,
  // A multi-valued attribute comes as repeated elements: always read them as lists.
  isArray: (_name, jpath) => typeof jpath === 'string' && jpath.startsWith('serviceResponse.authenticationSuccess.attributes.'),
});

export const casLoginUrl = (casUrl: string, service: string) => `${casUrl.replace(/\/+$/, '')}/login?service=${encodeURIComponent(service)}`;

/**
 * Validates a service ticket as CAS 3.0 defines it (`/p3/serviceValidate`): the server checks the
 * ticket is unused, unexpired and issued for exactly this service, and answers the user and their
 * attributes, or a failure code.
 */
export async function validateServiceTicket(casUrl: string, service: string, ticket: string, timeoutMs: number): Promise<CasPrincipal> {
  const url = `${casUrl.replace(/\/+$/, '')}/p3/serviceValidate?service=${encodeURIComponent(service)}&ticket=${encodeURIComponent(ticket)}`;
  let text: string;
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs), headers: { Accept: 'application/xml, text/xml' }, redirect: 'error' });
    if (!response.ok) throw new CasUnavailable(`CAS answered HTTP ${response.status}`);
    text = await response.text();
  } catch (error) {
    if (error instanceof CasUnavailable) throw error;
    throw new CasUnavailable(`CAS unreachable: ${(error as Error).message}`);
  }
  let document: unknown;
  try {
    document = parser.parse(text, true);
  } catch (error) {
    throw new CasUnavailable(`CAS answer is not XML: ${(error as Error).message}`);
  }
  const response = (document as { serviceResponse?: Record<string, unknown> }).serviceResponse;
  if (!response) throw new CasUnavailable('CAS answer has no serviceResponse');
  const failure = response.authenticationFailure as { '@_code'?: string; '#text'?: string } | string | undefined;
  if (failure !== undefined) {
    const code = typeof failure === 'object' ? (failure['@_code'] ?? 'UNKNOWN') : 'UNKNOWN';
    const detail = typeof failure === 'object' ? (failure['#text'] ?? '') : failure;
    throw new CasRefusal(code, detail);
  }
  const success = response.authenticationSuccess as { user?: unknown; attributes?: Record<string, unknown> } | undefined;
  if (!success || typeof success.user !== 'string' || !success.user) throw new CasUnavailable('CAS answer has neither success nor failure');
  const attributes: Record<string, string[]> = {};
  for (const [name, values] of Object.entries(success.attributes ?? {})) {
    if (name.startsWith('@_')) continue;
    attributes[name] = (Array.isArray(values) ? values : [values]).filter((v): v is string => typeof v === 'string');
  }
  return { user: success.user, attributes };
}
