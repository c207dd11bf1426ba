import { ParseUUIDPipe } from '@nestjs/common';
import { ProblemException } from './problem.filter';

/** Path ids are UUIDs; anything else is a malformed request. */
export const UuidPipe = new ParseUUIDPipe({
  exceptionFactory: () => new ProblemException(400, 'Identifiant invalide : un UUID est attendu.'),
});
