// The build this worker belongs to, stamped in by vite.config.ts (`define`). A new build is a new
// worker script, which is what makes the browser install it as an update.
declare const __ONSITE_BUILD_ID__: string;

export const BUILD_ID: string = __ONSITE_BUILD_ID__;
