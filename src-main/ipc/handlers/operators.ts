import type { Handlers } from '../router';

export const operatorsHandlers: Handlers['operators'] = {
  list: (_input, { vault }) => vault.session().listOperators(),
  add: (input, { vault }) => vault.session().addOperator(input),
  remove: ({ id }, { vault }) => {
    vault.session().removeOperator(id);
    return { removed: true };
  },
  enrollTotp: (_input, { vault }) => vault.session().enrollTotp(),
  confirmTotp: ({ code }, { vault }) => {
    vault.session().confirmTotp(code);
    return { enabled: true };
  },
  disableTotp: ({ operatorId }, { vault }) => {
    vault.session().disableTotp(operatorId);
    return { disabled: true };
  },
};
