// Whether facts are kept for the next version of a file. The editor's server asks
// again after every keystroke and needs them; a one-shot scan analyzes each file once,
// where keeping them only costs time and garbage-collection work (every entry of a weak
// map is traced specially). A process-wide policy: a process is one or the other.
let keeping = true;

/** Called once by one-shot front ends (the CLI and its workers) before analyzing. */
export function stopKeepingFactsAcrossEdits(): void {
  keeping = false;
}

export function keepingFactsAcrossEdits(): boolean {
  return keeping;
}
