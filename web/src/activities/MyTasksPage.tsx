import { useState } from 'react';
import { Button } from 'react-aria-components';
import { Link } from 'react-router';
import { PersonalValue } from '../privacy/PersonalValue.tsx';
import { purposeLabel } from '../purpose/purposeLabels.ts';
import { usePurpose, useSession } from '../session/sessionContext.ts';
import { formatDate } from '../ui/format.ts';
import { ProblemNotice } from '../ui/ProblemNotice.tsx';
import { QueryPanel } from '../ui/QueryPanel.tsx';
import { isOverdue } from './activityTypes.ts';
import { useCompleteTask, useMyTasks } from './useMyTasks.ts';
import '../styles/contactEditing.css';

/** The tasks assigned to the user, due soonest first, each marked done with one button. */
export function MyTasksPage() {
  const purpose = usePurpose();
  const { me } = useSession();
  const tasks = useMyTasks(purpose, me?.user?.id);
  const complete = useCompleteTask(purpose);
  const [done, setDone] = useState<string | null>(null);
  const now = new Date();
  return (
    <section className="page tasks-page" aria-labelledby="tasks-heading">
      <div className="page-header">
        <h1 id="tasks-heading">My tasks</h1>
        <p className="muted">Open tasks assigned to you, due soonest first, as {purposeLabel(purpose)} may see them. Add a task from a contact&apos;s page.</p>
      </div>
      <p role="status" className="muted">
        {done}
      </p>
      {complete.error !== null && <ProblemNotice error={complete.error} title="The task was not marked done" />}
      <QueryPanel
        id="open-tasks-heading"
        title="Open"
        query={tasks}
        what="your tasks"
        empty={({ tasks: open }) => (open.length === 0 ? 'Nothing to do: no open task is assigned to you.' : null)}
      >
        {({ tasks: open, withheld, more }) => (
          <>
            <ul className="plain-list ruled task-list">
              {open.map((task) => {
                const overdue = isOverdue(task, now);
                const contactId = task.links.contactIds[0];
                return (
                  <li key={task.id} className="task-item">
                    <div className="task-text">
                      <p className="task-subject">
                        <PersonalValue value={task.subject} withheld={withheld.get('subject')} />
                      </p>
                      <p className={overdue ? 'task-due overdue' : 'task-due muted'}>
                        {task.dueAt ? (
                          <>
                            {overdue ? 'Overdue since ' : 'Due '}
                            <time dateTime={task.dueAt}>{formatDate(task.dueAt)}</time>
                          </>
                        ) : (
                          'No due date'
                        )}
                        {contactId && (
                          <>
                            {' · '}
                            <Link to={`/contacts/${contactId}`}>
                              Contact<span className="visually-hidden"> of this task</span>
                            </Link>
                          </>
                        )}
                      </p>
                    </div>
                    <Button
                      className="button"
                      isPending={complete.isPending && complete.variables === task.id}
                      onPress={() =>
                        complete.mutate(task.id, {
                          onSuccess: () => setDone(`Done: ${task.subject ?? 'the task'}.`),
                        })
                      }
                    >
                      Mark done<span className="visually-hidden">: {task.subject ?? 'task'}</span>
                    </Button>
                  </li>
                );
              })}
            </ul>
            {more && <p className="muted">The 100 due soonest are shown; mark some done to see the others.</p>}
          </>
        )}
      </QueryPanel>
    </section>
  );
}
