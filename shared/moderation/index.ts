/** Local moderation detectors (no model): PII with redaction, prompt injection / persona hijack. Pure. */
export * from './pii';
export * from './redact';
export * from './injection';
export { foldText, originalSpan, type Folded } from './normalize';
