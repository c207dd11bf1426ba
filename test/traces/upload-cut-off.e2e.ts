import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import { actor, Actor } from '../support/actors';
import { startTestApp, TestApp } from '../support/test-app';

/**
 * An upload the client cuts off midway (a phone losing its network, or someone opening uploads
 * and walking away from them): nothing of it stays on the server's disk, and the server does
 * not keep waiting for the rest. Uploads are spooled under the system's temporary folder: the
 * files this test's upload made there are those that appear while it is sent.
 */
let api: TestApp;
let intern: Actor;
let port: number;
const tmp = os.tmpdir();
let before = new Set<string>();

beforeAll(async () => {
  api = await startTestApp();
  await api.app.listen(0, '127.0.0.1');
  port = (api.app.getHttpServer().address() as net.AddressInfo).port;
  intern = await actor(api.http, api.dataSource, { roles: ['intern'], upp: 'montpellier' });
});
afterAll(async () => {
  await api?.close();
});

/** Sends the headers and the first megabyte of a 5 MB PDF upload, then closes the connection. */
async function cutOff(target: string, bearer: string): Promise<void> {
  const boundary = 'carnet-cut-off';
  const head = Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="long.pdf"\r\nContent-Type: application/pdf\r\n\r\n%PDF-1.7\n`);
  before = new Set(spooled());
  const socket = net.connect(port, '127.0.0.1');
  await new Promise<void>((resolve) => socket.once('connect', resolve));
  let answer = '';
  socket.on('data', (chunk: Buffer) => (answer += chunk.toString()));
  socket.write(
    `POST ${target} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: ${bearer}\r\nContent-Type: multipart/form-data; boundary=${boundary}\r\nContent-Length: ${5 * 1024 * 1024}\r\n\r\n`,
  );
  socket.write(head);
  socket.write(Buffer.alloc(1024 * 1024, 'x'));
  // Until the server has written part of it to disk.
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline && leftovers().length === 0) await new Promise((resolve) => setTimeout(resolve, 20));
  const started = leftovers().length > 0;
  socket.destroy();
  // Else the test proves nothing: the server must have begun writing the file.
  expect({ started, answered: answer }).toEqual({ started: true, answered: '' });
}

const spooled = () => fs.readdirSync(tmp).filter((name) => /^carnet-(upload|thesis)-/.test(name));
const leftovers = () => spooled().filter((name) => !before.has(name));

async function settled(): Promise<string[]> {
  const deadline = Date.now() + 5_000;
  while (Date.now() < deadline && leftovers().length > 0) await new Promise((resolve) => setTimeout(resolve, 50));
  return leftovers();
}

it('leaves nothing on disk when an attachment upload is cut off, and the trace takes the next one', async () => {
  const trace = (await api.http.post('/api/traces').set('Authorization', intern.bearer).send({ kind: 'trace', title: 'Une garde', competences: [], familles: [] }).expect(201)).body.id;
  await cutOff(`/api/traces/${trace}/attachments`, intern.bearer);
  expect(await settled()).toEqual([]);
  const pdf = Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.alloc(2048, 'x'), Buffer.from('\n%%EOF\n')]);
  await api.http.post(`/api/traces/${trace}/attachments`).set('Authorization', intern.bearer).attach('file', pdf, 'court.pdf').expect(201);
  const stored: { filename: string }[] = await api.dataSource.query(`SELECT filename FROM attachment WHERE trace_id = $1`, [trace]);
  expect(stored.map((a) => a.filename)).toEqual(['court.pdf']);
});
