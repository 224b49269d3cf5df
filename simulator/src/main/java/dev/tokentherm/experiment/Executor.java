package dev.tokentherm.experiment;

import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;

/**
 * Runs independent tasks (an experiment's runs): locally on a thread pool ({@link LocalExecutor}),
 * or, by another implementation, on a cluster.
 */
public interface Executor {
  /** Told of each finished task, one call at a time, in the order they finish. */
  interface Listener<T> {
    void done(int index, T value);
  }

  /**
   * Runs every task and tells {@code listener} of each as it finishes; returns when all have.
   *
   * @throws ExecutionException the first task that threw (the others are cancelled)
   */
  <T> void execute(List<? extends Callable<T>> tasks, Listener<? super T> listener)
      throws InterruptedException, ExecutionException;
}
