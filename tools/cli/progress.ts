// A progress bar on stderr, drawn only on a terminal (in a pipe or a log it would be noise).

export interface Progress {
  update(fraction: number): void;
  done(): void;
}

const NONE: Progress = { update() {}, done() {} };

export function progressBar(label: string, stream: NodeJS.WriteStream = process.stderr): Progress {
  if (!stream.isTTY) return NONE;
  const width = Math.max(10, Math.min(40, (stream.columns ?? 80) - label.length - 12));
  let last = -1;
  return {
    update(fraction) {
      const pct = Math.floor(Math.min(1, Math.max(0, fraction)) * 100);
      if (pct === last) return;
      last = pct;
      const filled = Math.round((pct / 100) * width);
      stream.write(`\r${label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${String(pct).padStart(3)}%`);
    },
    done() {
      if (last >= 0) stream.write('\r\x1b[2K');
    },
  };
}
