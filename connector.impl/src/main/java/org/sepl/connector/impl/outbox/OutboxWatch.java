package org.sepl.connector.impl.outbox;

import java.util.function.LongSupplier;

import org.sepl.connector.api.DeliveryLedger;
import org.sepl.connector.api.outbox.Outbox;
import org.sepl.connector.api.outbox.OutboxFlow;
import org.sepl.connector.api.outbox.OutboxStatus;
import org.sepl.connector.impl.ledger.FillForecast;
import org.sepl.connector.impl.ledger.LedgerAudit;
import org.sepl.connector.impl.ledger.LossLedger;
import org.sepl.connector.impl.ledger.OutboxUse;

/**
 * What the outbox lane looks at about once a second ({@link OutboxSender#sample()}): the outbox's status, from which
 * the {@link FillForecast} follows its rates and time until full, and the {@link LedgerAudit} checks that the
 * {@link LossLedger} balances. Confined to the outbox lane.
 */
final class OutboxWatch {

    private final LossLedger ledger;
    private final LongSupplier nanoTime;
    private final FillForecast forecast;
    private final LedgerAudit audit;

    OutboxWatch(LossLedger ledger) {
        this(ledger, System::nanoTime, new FillForecast(), new LedgerAudit());
    }

    OutboxWatch(LossLedger ledger, LongSupplier nanoTime, FillForecast forecast, LedgerAudit audit) {
        this.ledger = ledger;
        this.nanoTime = nanoTime;
        this.forecast = forecast;
        this.audit = audit;
    }

    /** @return the latest flow (any thread) */
    OutboxFlow flow() {
        return forecast.flow();
    }

    /**
     * @param use   the ledger's account of {@code outbox}
     * @param quiet whether nothing is on its way to or from the outbox (then the ledger must balance)
     */
    void sample(Outbox outbox, OutboxUse use, boolean quiet) {
        OutboxStatus status;
        try {
            status = outbox.status();
            long now = nanoTime.getAsLong();
            DeliveryLedger l = ledger.snapshot(status.depth());
            forecast.sample(now, use, String.valueOf(outbox), l.stored(), l.delivered() + l.rejected(),
                    status.depth(), status.bytes(), outbox.limits());
            audit.check(l, quiet, now, String.valueOf(outbox));
        } catch (RuntimeException e) {
            // a closed or broken outbox: nothing to sample; its callers hear of it where it fails them
        }
    }
}
