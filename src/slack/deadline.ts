/** Settles as `p` does, or rejects with `late()` once `ms` have passed first; the timer never outlives the race. */
export function withDeadline<T>(p: Promise<T>, ms: number, late: () => Error): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(late()), ms);
  });
  return Promise.race([p, deadline]).finally(() => clearTimeout(timer));
}
