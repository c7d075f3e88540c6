"""Pure plans: ergonomic arguments -> validated models and warnings, one per component."""
