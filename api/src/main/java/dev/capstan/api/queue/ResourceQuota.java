package dev.capstan.api.queue;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.kubernetes.api.model.Quantity;

/**
 * A queue's quota of one resource: {@code nominalQuota} is its own; {@code borrowingLimit} caps what
 * it may use above that from its cohort (absent: no cap); {@code lendingLimit} caps what of its
 * nominal quota the cohort may use (absent: all of it).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ResourceQuota {
  private Quantity nominalQuota;
  private Quantity borrowingLimit;
  private Quantity lendingLimit;

  public Quantity getNominalQuota() {
    return nominalQuota;
  }

  public void setNominalQuota(Quantity nominalQuota) {
    this.nominalQuota = nominalQuota;
  }

  public Quantity getBorrowingLimit() {
    return borrowingLimit;
  }

  public void setBorrowingLimit(Quantity borrowingLimit) {
    this.borrowingLimit = borrowingLimit;
  }

  public Quantity getLendingLimit() {
    return lendingLimit;
  }

  public void setLendingLimit(Quantity lendingLimit) {
    this.lendingLimit = lendingLimit;
  }
}
