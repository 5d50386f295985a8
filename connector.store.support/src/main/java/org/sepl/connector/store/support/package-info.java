/**
 * What every stock outbox shares: listener dispatch and the rate-limited log of messages removed without delivery.
 * Not exported: bnd copies this package into each store bundle that uses it ({@code -conditionalpackage}).
 */
package org.sepl.connector.store.support;
