// first-load bundle: keep it small
// A tiny hash router: the routes are few and the app must open from the cache with no server help.
import { useEffect, useState } from 'preact/hooks';

export type Route =
  | { name: 'list' }
  | { name: 'new' }
  | { name: 'open'; visitId: string }
  | { name: 'visit'; formId: string }
  | { name: 'copy'; formId: string }
  | { name: 'settings' };

export function parseHash(hash: string): Route {
  const parts = hash.replace(/^#\/?/, '').split('/').filter(Boolean).map(decodeURIComponent);
  const [first, id, sub] = parts;
  if (first === 'new' && parts.length === 1) return { name: 'new' };
  if (first === 'settings' && parts.length === 1) return { name: 'settings' };
  if (first === 'open' && id && parts.length === 2) return { name: 'open', visitId: id };
  if (first === 'visit' && id && parts.length === 2) return { name: 'visit', formId: id };
  if (first === 'visit' && id && sub === 'copy' && parts.length === 3) return { name: 'copy', formId: id };
  return { name: 'list' };
}

export function href(route: Route): string {
  switch (route.name) {
    case 'list': return '#/';
    case 'new': return '#/new';
    case 'settings': return '#/settings';
    case 'open': return `#/open/${encodeURIComponent(route.visitId)}`;
    case 'visit': return `#/visit/${encodeURIComponent(route.formId)}`;
    case 'copy': return `#/visit/${encodeURIComponent(route.formId)}/copy`;
  }
}

/** Goes to a route; `replace` keeps a passing step (opening a visit) out of the back button's way. */
export function navigate(route: Route, replace = false): void {
  if (replace) location.replace(href(route));
  else location.hash = href(route);
}

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseHash(location.hash));
  useEffect(() => {
    const onChange = () => setRoute(parseHash(location.hash));
    addEventListener('hashchange', onChange);
    return () => removeEventListener('hashchange', onChange);
  }, []);
  return route;
}
