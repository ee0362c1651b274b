//! Every result of a paginated operation, fetched page by page.

use std::collections::VecDeque;
use std::fmt;
use std::future::Future;
use std::pin::Pin;

use super::{Error, Response};

/// One page of results.
#[derive(Debug, Clone, PartialEq)]
pub struct Page<T> {
    /// The items on this page.
    pub items: Vec<T>,
    /// The number of items on all pages (`totalCount`), when the response
    /// tells it.
    pub total_count: Option<i64>,
    /// The `requestId` of the page's response.
    pub request_id: Option<String>,
}

impl<T> Page<T> {
    /// A page from a response and the function that splits its data into
    /// items and total count.
    pub fn of<D>(response: Response<D>, parts: impl FnOnce(D) -> (Vec<T>, Option<i64>)) -> Page<T> {
        let request_id = response.request_id().map(str::to_owned);
        let (items, total_count) = parts(response.into_inner());
        Page { items, total_count, request_id }
    }
}

/// A page being fetched.
pub type PageFuture<T> = Pin<Box<dyn Future<Output = Result<Page<T>, Error>> + Send>>;

/// The results of a paginated operation, fetched one page at a time as
/// they are read, from the `*_pages` method of the operation.
///
/// Pages are requested from page 1 on, with the request's other parameters
/// (its `limit` is the page size). It ends by itself: after a page with no
/// items, once as many items as the response's `totalCount` have been read,
/// or after an error (which is returned once).
///
/// A hand-written async iterator rather than a `futures` `Stream`: it needs
/// no dependency, and `while let` reads it the same way.
///
/// ```no_run
/// # async fn example(mut users: genauth::Pages<String>) -> Result<(), genauth::Error> {
/// // `users` is e.g. `management.list_users_pages(&ListUsersRequest::new())`.
/// while let Some(user) = users.next().await {
///     let user = user?;
///     # let _ = user;
/// }
/// # Ok(())
/// # }
/// ```
#[must_use = "pages are fetched only when read"]
pub struct Pages<T> {
    fetch: Box<dyn FnMut(i64) -> PageFuture<T> + Send>,
    next_page: i64,
    read: i64,
    done: bool,
    buffered: VecDeque<T>,
}

impl<T> Pages<T> {
    /// Pages from `fetch`, which requests the page with the number given
    /// (from 1); generated `*_pages` methods build theirs so.
    pub fn new(fetch: impl FnMut(i64) -> PageFuture<T> + Send + 'static) -> Self {
        Pages { fetch: Box::new(fetch), next_page: 1, read: 0, done: false, buffered: VecDeque::new() }
    }

    /// The next page, or `None` once the results are exhausted. Items that
    /// [`next`](Self::next) has buffered are not returned again.
    pub async fn next_page(&mut self) -> Option<Result<Page<T>, Error>> {
        if self.done {
            return None;
        }
        let page = match (self.fetch)(self.next_page).await {
            Ok(page) => page,
            Err(error) => {
                self.done = true;
                return Some(Err(error));
            }
        };
        self.next_page += 1;
        self.read += i64::try_from(page.items.len()).unwrap_or(i64::MAX);
        if page.items.is_empty() {
            self.done = true;
            return None;
        }
        if page.total_count.is_some_and(|total| self.read >= total) {
            self.done = true;
        }
        Some(Ok(page))
    }

    /// The next item, fetching the next page when this one is read.
    pub async fn next(&mut self) -> Option<Result<T, Error>> {
        loop {
            if let Some(item) = self.buffered.pop_front() {
                return Some(Ok(item));
            }
            match self.next_page().await? {
                Ok(page) => self.buffered.extend(page.items),
                Err(error) => return Some(Err(error)),
            }
        }
    }

    /// All remaining items.
    ///
    /// # Errors
    ///
    /// The first error of a page request; the items read are dropped.
    pub async fn collect(mut self) -> Result<Vec<T>, Error> {
        let mut items: Vec<T> = self.buffered.drain(..).collect();
        while let Some(page) = self.next_page().await {
            items.extend(page?.items);
        }
        Ok(items)
    }
}

impl<T> fmt::Debug for Pages<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Pages")
            .field("next_page", &self.next_page)
            .field("read", &self.read)
            .field("done", &self.done)
            .field("buffered", &self.buffered.len())
            .finish_non_exhaustive()
    }
}

/// The `pages` method of a client with `send_data`.
macro_rules! pages_method {
    () => {
        /// Every result of a paginated endpoint, as generated `*_pages`
        /// methods give them: `call` makes the request for a page number
        /// (from 1), `parts` splits the envelope's `data` into the page's
        /// items and the total count.
        pub fn pages<D, T>(
            &self,
            mut call: impl FnMut(i64) -> super::Call + Send + 'static,
            parts: fn(D) -> (Vec<T>, Option<i64>),
        ) -> super::Pages<T>
        where
            D: super::json::FromJson + Send + 'static,
            T: Send + 'static,
        {
            let client = self.clone();
            super::Pages::new(move |page| {
                let client = client.clone();
                let call = call(page);
                Box::pin(async move { Ok(super::Page::of(client.send_data::<D>(call).await?, parts)) })
            })
        }
    };
}
pub(crate) use pages_method;
