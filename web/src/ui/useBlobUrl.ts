import { useEffect, useMemo } from 'react';

/** A blob: URL of the text, for a download link; released when the text changes or the component goes. */
export function useBlobUrl(text: string | null | undefined, type: string): string | null {
  const url = useMemo(() => (text ? URL.createObjectURL(new Blob([text], { type })) : null), [text, type]);
  useEffect(() => () => (url ? URL.revokeObjectURL(url) : undefined), [url]);
  return url;
}
