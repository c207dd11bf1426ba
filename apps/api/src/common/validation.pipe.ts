import { ArgumentMetadata, ValidationError, ValidationPipe } from '@nestjs/common';
import { FieldError } from '@carnet/domain';
import { ProblemException } from './problem.filter';

/** French messages for class-validator's constraints; a DTO's own message wins when it sets one. */
const FRENCH: Record<string, (error: ValidationError) => string> = {
  isString: () => 'doit être une chaîne de caractères',
  isInt: () => 'doit être un nombre entier',
  isBoolean: () => 'doit être vrai ou faux',
  isArray: () => 'doit être une liste',
  isEmail: () => 'adresse e-mail invalide',
  isUuid: () => 'UUID attendu',
  isIso8601: () => 'date ISO 8601 attendue',
  isDefined: () => 'requis',
  isNotEmpty: () => 'ne doit pas être vide',
  isIn: () => 'valeur non autorisée',
  isEnum: () => 'valeur non autorisée',
  min: () => 'trop petit',
  max: () => 'trop grand',
  minLength: () => 'trop court',
  maxLength: () => 'trop long',
  isLength: () => 'longueur non autorisée',
  arrayMinSize: () => 'liste trop courte',
  arrayMaxSize: () => 'liste trop longue',
  arrayUnique: () => 'éléments en double',
  matches: () => 'format invalide',
  whitelistValidation: (error) => `propriété inconnue « ${error.property} »`,
  isObject: () => 'doit être un objet',
};

const isDefaultMessage = (message: string) => /^(each value in )?\S+ (must|should|has failed)|^property \S+ should not exist/.test(message);

function flatten(errors: ValidationError[], parent = ''): FieldError[] {
  return errors.flatMap((error) => {
    const path = parent ? `${parent}.${error.property}` : error.property;
    if (error.constraints && error.value === undefined && !('whitelistValidation' in error.constraints)) {
      return [{ path, message: 'requis' }];
    }
    const own = Object.entries(error.constraints ?? {})
      .map(([constraint, message]) => (isDefaultMessage(message) && FRENCH[constraint] ? FRENCH[constraint](error) : message))
      .filter((message, i, all) => all.indexOf(message) === i)
      .slice(0, 1)
      .map((message) => ({ path, message }));
    return own.concat(flatten(error.children ?? [], path));
  });
}

const RAW_JSON = Symbol('carnet:raw-json');

/**
 * A property holding a JSON document that its own validator checks in full (a trace's content:
 * the editor schema), kept as parsed: the pipe checks only that it is an object, and neither
 * class-transformer nor the pipe's own passes walk its tree (on an autosave's 10 pages, the
 * dearest part of the request; on a deep one, a stack overflow).
 */
export function RawJson(): PropertyDecorator {
  return (target, key) => {
    const keys = (Reflect.getMetadata(RAW_JSON, target.constructor) as (string | symbol)[] | undefined) ?? [];
    Reflect.defineMetadata(RAW_JSON, [...keys, key], target.constructor);
  };
}

/**
 * Nest's pipe, with the `@RawJson()` properties set aside while it runs and put back after. A body
 * of documents alone (an autosave: `{ contentDelta }` or `{ content }`) leaves the pipe nothing
 * to check but that placeholder, whose answer never changes: once the pipe has passed that shape
 * of a DTO, the same shape is answered without running it again (same instance, same properties).
 */
class CarnetValidationPipe extends ValidationPipe {
  /** Per DTO, per set of document properties sent alone: the instance's own properties, in order, once the pipe passed it. */
  private readonly passedShapes = new WeakMap<object, Map<string, (string | symbol)[]>>();

  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    const metatype = metadata.metatype;
    const keys = metatype ? (Reflect.getMetadata(RAW_JSON, metatype) as (string | symbol)[] | undefined) : undefined;
    if (!metatype || !keys?.length || typeof value !== 'object' || value === null || Array.isArray(value)) return super.transform(value, metadata);
    const body = { ...(value as Record<string | symbol, unknown>) };
    const held = new Map<string | symbol, unknown>();
    for (const key of keys) {
      const document = body[key];
      // Only an object is set aside (an empty one stands in for it); anything else is checked,
      // and refused, as before.
      if (typeof document === 'object' && document !== null && !Array.isArray(document)) {
        held.set(key, document);
        body[key] = {};
      }
    }
    const documentsAlone = held.size > 0 && held.size === Reflect.ownKeys(body).length;
    const shape = documentsAlone ? [...held.keys()].map(String).join(',') : undefined;
    const passed = shape === undefined ? undefined : this.passedShapes.get(metatype)?.get(shape);
    if (passed) {
      const result = Object.create(metatype.prototype as object) as Record<string | symbol, unknown>;
      for (const key of passed) result[key] = held.get(key);
      return result;
    }
    const result = (await super.transform(body, metadata)) as Record<string | symbol, unknown>;
    // Remembered only when the pipe's answer holds nothing but the placeholders (and properties
    // left undefined): then it is the same for every body of that shape.
    if (shape !== undefined && Object.getPrototypeOf(result) === metatype.prototype && Reflect.ownKeys(result).every((key) => (held.has(key) ? result[key] === body[key] || isEmptyObject(result[key]) : result[key] === undefined))) {
      const shapes = this.passedShapes.get(metatype) ?? new Map<string, (string | symbol)[]>();
      shapes.set(shape, Reflect.ownKeys(result));
      this.passedShapes.set(metatype, shapes);
    }
    for (const [key, document] of held) result[key] = document;
    return result;
  }
}

const isEmptyObject = (value: unknown) => typeof value === 'object' && value !== null && !Array.isArray(value) && Reflect.ownKeys(value).length === 0;

/** Whitelisting validation; a body that is JSON but breaks the DTO is a 422 listing every fault. */
export function createValidationPipe(): ValidationPipe {
  return new CarnetValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    transformOptions: { enableImplicitConversion: false },
    exceptionFactory: (errors) =>
      new ProblemException(422, 'Certaines valeurs sont invalides.', flatten(errors), 'invalid_input'),
  });
}
