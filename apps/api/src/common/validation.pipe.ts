import { ValidationError, ValidationPipe } from '@nestjs/common';
import { FieldError } from '@carnet/domain';
import { ProblemException } from './problem.filter';

function flatten(errors: ValidationError[], parent = ''): FieldError[] {
  return errors.flatMap((error) => {
    const path = parent ? `${parent}.${error.property}` : error.property;
    const own = Object.values(error.constraints ?? {}).map((message) => ({ path, message }));
    return own.concat(flatten(error.children ?? [], path));
  });
}

/** Whitelisting validation; a body that is JSON but breaks the DTO is a 422 listing every fault. */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    transformOptions: { enableImplicitConversion: false },
    exceptionFactory: (errors) =>
      new ProblemException(422, 'Certaines valeurs sont invalides.', flatten(errors), 'invalid_input'),
  });
}
