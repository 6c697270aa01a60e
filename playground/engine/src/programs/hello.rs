//! hello-world's program.
//!
//! Its text is still `catalog::HELLO` (the image module, above programs):
//! it should move here at integration.

use super::{Ctx, Flow};
use crate::catalog::HELLO;
use crate::state::State;

/// Prints hello-world's greeting.
pub(crate) fn hello(_state: &mut State, _cid: &str, ctx: &mut Ctx, _args: &[String]) -> Flow {
    ctx.print(HELLO);
    Flow::Exit(0)
}
