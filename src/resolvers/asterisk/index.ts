import type { AsteriskModel } from '../../model/asterisk';
import type { Resolver } from '../types';

export const asteriskResolver: Resolver<AsteriskModel> = {
  route() {
    throw new Error('not yet');
  },
};
