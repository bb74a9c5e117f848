import type { KamailioModel } from '../../model/kamailio';
import type { Resolver } from '../types';
import { simulate } from './interpreter';

export const kamailioResolver: Resolver<KamailioModel> = {
  route(model, request) {
    return simulate(model, request);
  },
};
