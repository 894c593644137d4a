/** Language of the station's `ErrorText` where a Russian original is known (§8.5). */
export type SimLanguage = 'en' | 'ru';

/** Failure statuses of `RK7QueryResult` (§3.2). */
export type SimErrorStatus =
  | 'Query Parse Error'
  | 'Bad Query Parameters'
  | 'Query Executing Error';

/** A command refused by the simulated station; becomes the reply's Status/ErrorText/RK7ErrorN. */
export class SimCommandError extends Error {
  readonly status: SimErrorStatus;
  readonly rk7ErrorN: number | undefined;
  readonly text: string;

  constructor(status: SimErrorStatus, text: string, rk7ErrorN?: number) {
    super(rk7ErrorN === undefined ? text : `[${rk7ErrorN}] ${text}`);
    this.name = 'SimCommandError';
    this.status = status;
    this.text = text;
    this.rk7ErrorN = rk7ErrorN;
  }
}

const EXEC = 'Query Executing Error';

/**
 * The error templates of `rk7-xml.md` §8.5, exactly. Texts marked [INF] in the spec are our own
 * wording; a real server's are unknown.
 */
export const simErrors = {
  notEnoughMoney: (language: SimLanguage) => new SimCommandError(EXEC,
    language === 'ru'
      ? 'Недостаточно денег для полной оплаты заказа'
      : 'There is not enough money to fully pay the order.',
    3373),
  notFullyPaid: (orderName: string) =>
    new SimCommandError(EXEC, `Cannot save order ${orderName}, it is not fully paid`, 3071),
  visitClosed: (visit: number, language: SimLanguage) => new SimCommandError(EXEC,
    language === 'ru' ? `Визит ${visit} закрыт!` : `Visit ${visit} is closed!`, 2128),
  lockedByAnotherKey: () =>
    new SimCommandError(EXEC, 'Cannot lock the order: it is locked with another key', 2219),
  shiftClosing: () => new SimCommandError('Query Parse Error', 'UCSERR(2172)', 2172),
  emptyInput: () => new SimCommandError('Query Parse Error', 'Empty input XML'),
  parse: (message: string) => new SimCommandError('Query Parse Error', message),
  unknownCommand: (cmd: string) =>
    new SimCommandError('Bad Query Parameters', `Unknown command ${cmd}`),
  badInteger: (path: string, value: string) =>
    new SimCommandError('Bad Query Parameters', `Bad integer attribute ${path} value: "${value}"`),
  attributeNotFound: (path: string) =>
    new SimCommandError('Bad Query Parameters', `Attribute "${path}" is not found`),
  badAttribute: (path: string, value: string) =>
    new SimCommandError('Bad Query Parameters', `Bad attribute ${path} value: "${value}"`),
  unknownReference: (refName: string) =>
    new SimCommandError('Bad Query Parameters', `Unknown reference ${refName}`),
  childNotFound: (element: string) =>
    new SimCommandError(EXEC, `Error: child element "${element}" not found`),
  refNotFound: (value: string, collection: string) =>
    new SimCommandError(EXEC, `Не найден элемент ${value} в коллекции ${collection}`),
  orderNotFound: () => new SimCommandError(EXEC, 'order not found'),
  orderDeleted: () => new SimCommandError(EXEC, 'order is deleted'),
  orderAlreadyPaid: () => new SimCommandError(EXEC, 'order is already paid'),
  orderPaid: () => new SimCommandError(EXEC, 'order is paid'),
  orderExists: (wireGuid: string) => new SimCommandError(EXEC, `order ${wireGuid} already exists`),
  stationOffline: (name: string) => new SimCommandError(EXEC, `Station ${name} is not available`),
  badLicence: () => new SimCommandError(EXEC, 'Bad license anchor'),
  overpay: () => new SimCommandError(EXEC, 'Payment amount exceeds the order amount'),
  voidReasonNotAllowed: (name: string, flag: string) =>
    new SimCommandError(EXEC, `Void reason ${name} is not allowed here (${flag} not set)`),
  lineNotFound: (line: string) =>
    new SimCommandError(EXEC, `Line ${line} is not found in the order`),
  lineAlreadyVoided: (line: string) => new SimCommandError(EXEC, `Line ${line} is already voided`),
  notSupported: (what: string) =>
    new SimCommandError(EXEC, `${what} is not supported by the simulator`),
} as const;
