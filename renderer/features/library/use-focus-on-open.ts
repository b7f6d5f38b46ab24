import { useEffect, useRef } from 'react';

/**
 * A panel opened below the list takes the focus on its heading (and scrolls it into view), so a
 * keyboard or screen-reader user lands where the Versions or Share button led, not back at the top.
 */
export function useFocusOnOpen(modelId: number) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    heading.current?.focus();
  }, [modelId]);
  return heading;
}
