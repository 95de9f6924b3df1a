/**
 * Who a request acts for: the account (from the access key) and region (from the signing scope).
 * Resources are namespaced by both, so one server serves many accounts and regions.
 */
export interface RequestScope {
  readonly accountId: string;
  readonly region: string;
}
