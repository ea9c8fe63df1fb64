/** What to do when a link arrived without its token (cut short by a mail program, or opened twice). */
export function MissingTokenNotice() {
  return (
    <p className="notice notice-error" role="alert">
      This link has no token. Open the link from your e-mail exactly as it is; if it was already used, ask for a new one.
    </p>
  );
}
