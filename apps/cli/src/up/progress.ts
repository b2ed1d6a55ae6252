/** Progress lines of `meshviz up`: one line per finished step, so the output reads well in a terminal and in CI logs. */
export interface Progress {
  step(text: string): void;
  done(text: string): void;
  fail(text: string): void;
}

export function consoleProgress(out: NodeJS.WritableStream = process.stdout): Progress {
  const colour = (out as NodeJS.WriteStream).isTTY === true;
  const paint = (code: string, s: string) => (colour ? `\u001b[${code}m${s}\u001b[0m` : s);
  return {
    step: (text) => out.write(`  ${paint('2', '…')} ${text}\n`),
    done: (text) => out.write(`  ${paint('32', '✓')} ${text}\n`),
    fail: (text) => out.write(`  ${paint('31', '✗')} ${text}\n`),
  };
}
