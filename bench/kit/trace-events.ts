/** An event of a Chromium trace (the JSON a CDP `Tracing` session writes), as far as we read it. */
export type TraceEvent = {
  readonly name: string;
  readonly ph: string;
  readonly pid: number;
  readonly tid: number;
  readonly ts: number;
  readonly dur?: number;
  readonly tdur?: number;
  readonly args?: {
    readonly name?: string;
    readonly data?: { readonly type?: string; readonly functionName?: string };
  };
};

/** The thread an event ran on, as "pid:tid". */
export function threadOf(event: TraceEvent): string {
  return `${String(event.pid)}:${String(event.tid)}`;
}

/** The renderers' main threads of a trace (their metadata events name them CrRendererMain). */
export function rendererMainThreads(events: readonly TraceEvent[]): Set<string> {
  return new Set(
    events
      .filter((event) => event.ph === 'M' && event.args?.name === 'CrRendererMain')
      .map(threadOf),
  );
}
