// A benchmark child's own peak memory. On Linux a child's maxRSS starts from its parent's RSS at
// fork time (here the emulator with its seeded rows), so it hides what the case itself used; the
// process's own high-water mark is VmHWM in /proc/self/status, which exec resets.
import { readFileSync } from 'node:fs';

/** `{ peakMb, maxRssMb }`: VmHWM where the platform has it (else maxRSS), and maxRSS. */
export function peakMemory() {
  const maxRssMb = process.resourceUsage().maxRSS / 1024;
  let hwm;
  try {
    const kb = /^VmHWM:\s+(\d+) kB/m.exec(readFileSync('/proc/self/status', 'utf8'))?.[1];
    hwm = kb === undefined ? undefined : Number(kb) / 1024;
  } catch {
    hwm = undefined;
  }
  return { peakMb: hwm ?? maxRssMb, maxRssMb };
}
