import 'reflect-metadata';
import { IsObject, IsOptional, IsString } from 'class-validator';
import { createValidationPipe, RawJson } from './validation.pipe';

class Body {
  @IsOptional() @IsString() title?: string;
  @IsOptional() @IsObject() @RawJson() content?: Record<string, unknown>;
  @IsOptional() @IsObject() @RawJson() contentDelta?: Record<string, unknown>;
}

const metadata = { type: 'body' as const, metatype: Body };

describe('the validation pipe on a body of documents alone', () => {
  it('answers the same instance on every run, the documents kept as sent', async () => {
    const pipe = createValidationPipe();
    const answers = [];
    for (let i = 0; i < 3; i++) {
      const delta = { blocks: 3, from: 1, to: 2, insert: [{ type: 'paragraph' }] };
      const result = (await pipe.transform({ contentDelta: delta }, metadata)) as Body;
      expect(result).toBeInstanceOf(Body);
      expect(result.contentDelta).toBe(delta);
      answers.push(Reflect.ownKeys(result));
    }
    expect(answers[1]).toEqual(answers[0]);
    expect(answers[2]).toEqual(answers[0]);
  });

  it('still checks whatever else comes with them, and a document that is not an object', async () => {
    const pipe = createValidationPipe();
    await pipe.transform({ content: { type: 'doc' } }, metadata);
    await expect(pipe.transform({ content: { type: 'doc' }, title: 3 }, metadata)).rejects.toMatchObject({ status: 422 });
    await expect(pipe.transform({ content: { type: 'doc' }, other: 1 }, metadata)).rejects.toMatchObject({ status: 422 });
    await expect(pipe.transform({ content: 'doc' }, metadata)).rejects.toMatchObject({ status: 422 });
    await expect(pipe.transform({ content: [] }, metadata)).rejects.toMatchObject({ status: 422 });
    expect(((await pipe.transform({ content: { type: 'doc' }, title: 'Titre' }, metadata)) as Body).title).toBe('Titre');
  });
});

it('runs the pipe once per shape of a body of documents alone', async () => {
  const { ValidationPipe } = await import('@nestjs/common');
  const spy = jest.spyOn(ValidationPipe.prototype, 'transform');
  const pipe = createValidationPipe();
  for (let i = 0; i < 3; i++) await pipe.transform({ contentDelta: { blocks: i } }, metadata);
  expect(spy).toHaveBeenCalledTimes(1);
  spy.mockRestore();
});
