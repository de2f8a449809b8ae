/**
 * The market the page opens with: the URL's `?market=`, else the example. Kept free of env (its
 * reader, ajv and the schemas) so that the page's first script can send it to the solver as text.
 */
import exampleText from '../../../examples/market-k3.json?raw';

export const URL_PARAMETER = 'market';
export const EXAMPLE_MARKET_TEXT: string = exampleText;
export const EXAMPLE_MARKET_NAME = 'examples/market-k3.json';

/** The opening market as text, unchecked: `?market=` as written, or the example. */
export function openingMarketText(search: string): string {
  return new URLSearchParams(search).get(URL_PARAMETER) ?? EXAMPLE_MARKET_TEXT;
}
