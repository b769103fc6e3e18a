import { useMutation, useQueryClient } from '@tanstack/react-query';

/** A write that re-reads the lists it may have changed (after success or failure). */
export function useAction<A, R>(
  fn: (args: A) => Promise<R>,
  refresh: string[],
  onDone?: (r: R) => void,
) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: fn,
    onSuccess: (result) => onDone?.(result),
    onSettled: () => Promise.all(refresh.map((k) => client.invalidateQueries({ queryKey: [k] }))),
  });
}
