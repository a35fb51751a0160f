"""Lines of enquiry on a case, each with an owner whose history works like the case ledger."""
