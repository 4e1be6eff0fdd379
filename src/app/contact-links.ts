// first-load bundle: keep it small (the visit list shows these links)
// Where a tap on the customer's address or phone goes: the phone's map app (a geo: URI, RFC 5870, with a
// query, as Android's map apps read it), a web map for a phone or a browser without one, and a call.

/** The map app, searching for the address; null when there is no address. */
export function mapAppLink(address: string): string | null {
  const text = address.trim();
  return text === '' ? null : `geo:0,0?q=${encodeURIComponent(text)}`;
}

/** The same search on a web map (AMap, which knows Chinese addresses), for when no map app takes geo:. */
export function webMapLink(address: string): string | null {
  const text = address.trim();
  return text === '' ? null : `https://uri.amap.com/search?keyword=${encodeURIComponent(text)}`;
}

/**
 * A call to the number: tel: (RFC 3966) allows digits, a leading +, and - . ( ) as visual separators,
 * never spaces; null when nothing is left to dial.
 */
export function callLink(phone: string): string | null {
  const dialled = phone.replace(/[^0-9+\-.()]/g, '').replace(/(?!^)\+/g, '');
  return /[0-9]/.test(dialled) ? `tel:${dialled}` : null;
}
