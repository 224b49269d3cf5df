package dev.tokentherm.metrics;

/**
 * The whole run's counters, window or not, that the conservation laws and the summary's run block
 * check: requests by fate, tokens, iterations, and the energy attributed to requests and to
 * conversations' idle shares. Only {@link RunMetrics} changes them.
 */
public final class RunCounters {
  private long runRequestsArrived;
  private long runRequestsCompleted;
  private long runRequestsRejected;
  private long runRequestsTimedOut;
  private long runRequestsFailed;
  /** GPUs switched off by replica shutdowns. */
  private long gpusShutDown;
  private long runPreemptions;
  private long runOutputTokens;
  /** Output tokens of the requests completed within the SLO, window or not (report_series.csv's goodput). */
  private long goodOutputTokens;
  private long runIterations;
  private long conversationsEnded;
  private long peakContextTokens;
  private double activeJ;
  private double idleSharesJ;
  /** The same two by deployment (its number in the scenario), for the energy law per deployment. */
  private double[] activeJByDeployment = new double[1];
  private double[] idleSharesJByDeployment = new double[1];

  RunCounters() {}

  /** Keeps the attributed energy of {@code deployments} deployments apart (before the run). */
  void split(int deployments) {
    activeJByDeployment = new double[Math.max(1, deployments)];
    idleSharesJByDeployment = new double[Math.max(1, deployments)];
  }

  void countArrival() {
    runRequestsArrived++;
  }

  void countCompletion() {
    runRequestsCompleted++;
  }

  void countRejection() {
    runRequestsRejected++;
  }

  void countTimeout() {
    runRequestsTimedOut++;
  }

  void countFailure() {
    runRequestsFailed++;
  }

  void countShutDownGpus(int gpus) {
    gpusShutDown += gpus;
  }

  void countPreemption() {
    runPreemptions++;
  }

  void countIteration(int tokensOut) {
    runIterations++;
    runOutputTokens += tokensOut;
  }

  void addGoodOutputTokens(int tokens) {
    goodOutputTokens += tokens;
  }

  void countConversationEnded() {
    conversationsEnded++;
  }

  void seeContext(long contextTokens) {
    peakContextTokens = Math.max(peakContextTokens, contextTokens);
  }

  /** A request's active energy, completed or found in flight at the end, on a deployment. */
  void addActive(int deployment, double joules) {
    activeJ += joules;
    activeJByDeployment[deployment] += joules;
  }

  /** A conversation's share of its replica's idle energy, ended or found live at the end, on a deployment. */
  void addIdleShare(int deployment, double joules) {
    idleSharesJ += joules;
    idleSharesJByDeployment[deployment] += joules;
  }

  public long runRequestsArrived() {
    return runRequestsArrived;
  }

  public long runRequestsCompleted() {
    return runRequestsCompleted;
  }

  public long runRequestsRejected() {
    return runRequestsRejected;
  }

  public long runRequestsTimedOut() {
    return runRequestsTimedOut;
  }

  public long runRequestsFailed() {
    return runRequestsFailed;
  }

  /** GPUs that replica shutdowns switched off (each GPU of a replica that shut down). */
  public long gpusShutDown() {
    return gpusShutDown;
  }

  public long runPreemptions() {
    return runPreemptions;
  }

  /** Tokens emitted by all iterations of the run. */
  public long runOutputTokens() {
    return runOutputTokens;
  }

  public long goodOutputTokens() {
    return goodOutputTokens;
  }

  public long runIterations() {
    return runIterations;
  }

  public long conversationsEnded() {
    return conversationsEnded;
  }

  /** The longest context (prompt plus history) any request arrived or completed with, tokens. */
  public long peakContextTokens() {
    return peakContextTokens;
  }

  /** Energy attributed to requests (completed and in flight at the end), J. */
  public double activeJ() {
    return activeJ;
  }

  /** Conversations' shares of their replicas' idle energy (ended and live at the end), J. */
  public double idleSharesJ() {
    return idleSharesJ;
  }

  /** Energy attributed to one deployment's requests, J. */
  public double activeJ(int deployment) {
    return activeJByDeployment[deployment];
  }

  /** One deployment's conversations' idle shares, J. */
  public double idleSharesJ(int deployment) {
    return idleSharesJByDeployment[deployment];
  }
}
