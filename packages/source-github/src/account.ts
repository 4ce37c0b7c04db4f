/**
 * What the streams of one run learn about the token's user. The user stream fills it when
 * /user answers 200; a 304 leaves it empty, and the events stream falls back on its saved login.
 */
export interface Account {
  login?: string;
}
