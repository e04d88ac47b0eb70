"""Files users attach to messages and tasks: storage, checks, records and uploads."""
