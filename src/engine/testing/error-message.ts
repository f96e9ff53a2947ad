// Test helper: the message a call throws, so tests can compare Docker's exact text.
export function errorMessage(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    return (e as Error).message;
  }
  return "no error";
}
