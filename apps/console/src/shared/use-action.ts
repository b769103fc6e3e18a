import { useMutation, useQueryClient } from '@tanstack/react-query';

/** A write that refreshes the lists it changes; its error is shown next to the form. */
export function useAction<A, R>(
  fn: (args: A) => Promise<R>,
  refresh: string[],
  onDone?: (r: R) => void,
) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: fn,
    onSuccess: async (result) => {
      onDone?.(result);
      await Promise.all(refresh.map((k) => client.invalidateQueries({ queryKey: [k] })));
    },
  });
}
