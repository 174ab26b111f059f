/** Metadata key of @RequireScope(). */
export const REQUIRED_SCOPE = Symbol('REQUIRED_SCOPE');
