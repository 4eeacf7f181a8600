//! Tests of the bank over its public `handle` API, without sockets.

mod accounts;
mod addresses;
mod filter_info;
mod mandates;
mod paging;
mod payments;
mod refunds;
mod seeding;
mod signatures;
mod support;
