/**
 * Where the card's backend (`uld serve`) answers. Written by `uld init`: run it again rather than editing.
 * A placeholder: WEBHOOK_PUBLIC_URL is not an https origin HubSpot accepts, so the card cannot call its
 * backend. Set it and run `uld init` again.
 */
export const BACKEND_ORIGIN = "https://uld-backend.invalid";
