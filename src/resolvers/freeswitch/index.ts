import type { FreeswitchModel } from '../../model/freeswitch';
import type { Resolver } from '../types';
export const freeswitchResolver: Resolver<FreeswitchModel> = { route() { throw new Error('todo'); } };
