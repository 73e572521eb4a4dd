import { listFindings } from '../../findings/list';
import type { Handlers } from '../router';

export const findingsHandlers: Handlers['findings'] = {
  list: (input, { vault }) => listFindings(vault.session().db, input),
};
