/**
 * One account of the accounts file as plans and offers record it: the alias people use, the account id it
 * stood for when the plan was made (an alias re-pointed later must not be followed), and the region.
 */
export interface AccountRef {
  alias: string;
  id: string;
  region: string;
}
