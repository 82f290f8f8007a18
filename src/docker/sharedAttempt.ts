/**
 * One asynchronous set-up shared by every caller: the first caller starts it, the others wait on the same promise,
 * and a success is kept. A failure is forgotten, so the next caller tries again (the daemon may have started, or the
 * image been imported, since); the failure of an attempt already forgotten leaves a newer attempt alone. The first
 * caller's `start` (and the signal it closes over) decides for everyone waiting: cancelling it fails them all, while
 * a later caller's signal does not reach the attempt it joined.
 */
export class SharedAttempt<T> {
  private current: Promise<T> | undefined;

  get(start: () => Promise<T>): Promise<T> {
    if (!this.current) {
      const attempt = start();
      this.current = attempt;
      attempt.catch(() => {
        if (this.current === attempt) this.current = undefined;
      });
    }
    return this.current;
  }

  /** The next caller starts afresh; those already waiting still get the attempt they wait on. */
  forget(): void {
    this.current = undefined;
  }
}
