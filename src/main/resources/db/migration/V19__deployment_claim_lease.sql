-- A deployment's claim is a lease: the instance working it renews claim_lease_until while it lives
-- (every claim round); when an instance stops renewing (it died), another instance takes the claim over
-- once the lease has expired and finishes the deployment. NULL (claims made before this migration):
-- expired once the deployment has not changed for a whole lease.
ALTER TABLE deployments ADD COLUMN claim_lease_until TIMESTAMP WITH TIME ZONE;
