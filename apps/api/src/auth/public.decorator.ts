import { SetMetadata } from '@nestjs/common';

export const IS_PUBLIC = 'carnet:public';

/** A route anyone may call, signed in or not. Every other route requires a session. */
export const Public = () => SetMetadata(IS_PUBLIC, true);
