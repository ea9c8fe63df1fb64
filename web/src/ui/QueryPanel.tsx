import type { UseQueryResult } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { Loading } from './Loading.tsx';
import { ProblemNotice } from './ProblemNotice.tsx';

type QueryPanelProps<T> = {
  /** The id of the heading, which labels the section. */
  id: string;
  title: string;
  query: UseQueryResult<T>;
  /** What is loading, as in "Loading the company…". */
  what: string;
  /** What to say when there is nothing to show; null: show the data. */
  empty?: (data: T) => string | null;
  className?: string;
  children: (data: T) => ReactNode;
};

/** A section of a page filled by one query: its heading, then loading, the error, the empty state or the data. */
export function QueryPanel<T>({ id, title, query, what, empty, className = 'panel', children }: QueryPanelProps<T>) {
  const emptyText = query.isSuccess ? (empty?.(query.data) ?? null) : null;
  return (
    <section className={className} aria-labelledby={id}>
      <h2 id={id}>{title}</h2>
      {query.isPending ? (
        <Loading what={what} />
      ) : query.isError ? (
        <ProblemNotice error={query.error} title={`${title} could not be loaded`} />
      ) : emptyText !== null ? (
        <p className="empty-state">{emptyText}</p>
      ) : (
        children(query.data)
      )}
    </section>
  );
}
