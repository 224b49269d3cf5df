package dev.tokentherm.experiment;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletionService;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Tasks on a fixed pool of threads in this JVM (start-up paid once): at most {@code threads} runs
 * in flight, so memory holds that many live simulations; a finished run leaves only what its task
 * returns. Threads are daemons, so an interrupted command line exits.
 */
public final class LocalExecutor implements Executor {
  private final int threads;

  public LocalExecutor(int threads) {
    if (threads < 1) {
      throw new IllegalArgumentException("threads " + threads + " < 1");
    }
    this.threads = threads;
  }

  /** As many threads as this machine has cores. */
  public static LocalExecutor ofCores() {
    return new LocalExecutor(Runtime.getRuntime().availableProcessors());
  }

  public int threads() {
    return threads;
  }

  @Override
  public <T> void execute(List<? extends Callable<T>> tasks, Listener<? super T> listener)
      throws InterruptedException, ExecutionException {
    if (tasks.isEmpty()) {
      return;
    }
    AtomicInteger number = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(Math.min(threads, tasks.size()), r -> {
      Thread t = new Thread(r, "tokentherm-run-" + number.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
    try {
      CompletionService<Indexed<T>> done = new ExecutorCompletionService<>(pool);
      List<Future<Indexed<T>>> futures = new ArrayList<>();
      for (int i = 0; i < tasks.size(); i++) {
        Callable<T> task = tasks.get(i);
        int index = i;
        futures.add(done.submit(() -> new Indexed<>(index, task.call())));
      }
      for (int i = 0; i < tasks.size(); i++) {
        Indexed<T> finished = done.take().get();
        listener.done(finished.index(), finished.value());
      }
    } finally {
      pool.shutdownNow();
    }
  }

  private record Indexed<T>(int index, T value) {}
}
