export const DEV_SIGNING_KEY = Symbol('DEV_SIGNING_KEY');
export const DEMO_PROJECT_ID = 'demo';
