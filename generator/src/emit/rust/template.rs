//! Impl blocks parsed once and filled in many times.
//!
//! Parsing the emitted tokens is the dearest step of emitting, and the
//! conversion impls of all models and enums differ only in a few names. So
//! each such shape is written once with `quote!`, with placeholders (idents
//! like `__Name`, the string `"__wire"`, an arm `__arms => {}`, a statement
//! `__stmts!();`), parsed once per thread, then cloned and filled per use.
//! The filled tree is the one parsing the filled-in tokens would give, so
//! the formatted code is the same.

use proc_macro2::Ident;
use syn::visit_mut::{self, VisitMut};
use syn::{Arm, Block, ExprMatch, LitStr, Pat, Stmt};

/// The syntax tree (of type `$ty`) of the tokens, parsed on first use in
/// each thread and cloned from then on.
macro_rules! parsed {
    ($ty:ty, $($tokens:tt)*) => {{
        thread_local! {
            static PARSED: syn::Result<$ty> = syn::parse2(quote::quote! { $($tokens)* });
        }
        PARSED.with(Clone::clone)
    }};
}
pub(crate) use parsed;

/// What replaces the placeholders of a template.
#[derive(Default)]
pub struct Fill<'a> {
    /// `(placeholder, ident)` pairs.
    pub idents: &'a [(&'a str, &'a Ident)],
    /// Replaces the string literal `"__wire"`.
    pub wire: Option<&'a str>,
    /// Replace the arm `__arms => {}`.
    pub arms: Vec<Arm>,
    /// Replace the statement `__stmts!();`.
    pub stmts: Vec<Stmt>,
}

impl Fill<'_> {
    pub fn arm(mut self, template: syn::Result<Arm>) -> syn::Result<Arm> {
        let mut arm = template?;
        self.visit_arm_mut(&mut arm);
        Ok(arm)
    }

    pub fn stmt(mut self, template: syn::Result<Stmt>) -> syn::Result<Stmt> {
        let mut stmt = template?;
        self.visit_stmt_mut(&mut stmt);
        Ok(stmt)
    }
}

impl VisitMut for Fill<'_> {
    fn visit_ident_mut(&mut self, ident: &mut Ident) {
        if let Some((_, to)) = self.idents.iter().find(|(from, _)| ident == from) {
            *ident = (*to).clone();
        }
    }

    fn visit_lit_str_mut(&mut self, lit: &mut LitStr) {
        if let Some(wire) = self.wire
            && lit.value() == "__wire"
        {
            *lit = LitStr::new(wire, lit.span());
        }
    }

    // Lists are spliced in after the template's own nodes are filled, so
    // that the spliced (already filled) nodes are not visited again.
    fn visit_expr_match_mut(&mut self, node: &mut ExprMatch) {
        visit_mut::visit_expr_match_mut(self, node);
        let placeholder = |arm: &Arm| matches!(&arm.pat, Pat::Ident(p) if p.ident == "__arms");
        if let Some(i) = node.arms.iter().position(placeholder) {
            node.arms.splice(i..=i, std::mem::take(&mut self.arms));
        }
    }

    fn visit_block_mut(&mut self, node: &mut Block) {
        visit_mut::visit_block_mut(self, node);
        let placeholder = |stmt: &Stmt| matches!(stmt, Stmt::Macro(m) if m.mac.path.is_ident("__stmts"));
        if let Some(i) = node.stmts.iter().position(placeholder) {
            node.stmts.splice(i..=i, std::mem::take(&mut self.stmts));
        }
    }
}
