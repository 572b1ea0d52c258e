/**
 * The web-standard APIs that `shared/` may use beyond ECMAScript: ones that Node, Electron and
 * every browser provide alike. Only the shared project sees this file; the Node and web projects
 * get the full declarations from @types/node and lib.dom. Add to it deliberately, never a
 * Node-only or DOM-only API.
 */
declare class URL {
  constructor(input: string, base?: string);
  readonly hash: string;
  readonly hostname: string;
  readonly origin: string;
  readonly password: string;
  readonly pathname: string;
  readonly protocol: string;
  readonly search: string;
  readonly searchParams: URLSearchParams;
  readonly username: string;
  toString(): string;
}

declare class URLSearchParams {
  get(name: string): string | null;
  has(name: string): boolean;
  keys(): IterableIterator<string>;
}
