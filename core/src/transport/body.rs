//! Reading response bodies under a size cap.

/// Default response size cap: 16 MiB.
pub const DEFAULT_MAX_RESPONSE_BYTES: u64 = 16 * 1024 * 1024;

/// Why a body could not be read in full.
#[derive(Debug)]
pub(crate) enum BodyError {
    /// The body is larger than the cap (by `Content-Length` or while streaming).
    TooLarge,
    /// The connection failed or timed out mid-body.
    Interrupted(reqwest::Error),
}

/// Reads the whole body, chunk by chunk, stopping as soon as it exceeds `max` bytes so an
/// oversized or endless body cannot exhaust memory.
///
/// The buffer starts at the announced `Content-Length` (already checked against `max`), so
/// a page is copied once, not again at every doubling; a length that lies only reserves
/// address space up to the cap, which the allocator maps lazily.
pub(crate) async fn read_capped(
    resp: &mut reqwest::Response,
    max: u64,
) -> std::result::Result<Vec<u8>, BodyError> {
    if resp.content_length().is_some_and(|len| len > max) {
        return Err(BodyError::TooLarge);
    }
    let initial = resp.content_length().unwrap_or(0);
    let mut buf = Vec::with_capacity(usize::try_from(initial).unwrap_or(0));
    while let Some(chunk) = resp.chunk().await.map_err(BodyError::Interrupted)? {
        if (buf.len() + chunk.len()) as u64 > max {
            return Err(BodyError::TooLarge);
        }
        buf.extend_from_slice(&chunk);
    }
    Ok(buf)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A reqwest response whose body arrives in `chunks` chunks of `size` bytes, with no
    /// `Content-Length` (as a chunked or endless body would).
    fn streamed(chunks: usize, size: usize) -> reqwest::Response {
        let parts = (0..chunks).map(move |_| Ok::<_, std::io::Error>(vec![b'x'; size]));
        let body = reqwest::Body::wrap_stream(futures::stream::iter(parts));
        reqwest::Response::from(http::Response::new(body))
    }

    #[tokio::test]
    async fn streamed_bodies_stop_at_the_cap() {
        let mut resp = streamed(4, 1000);
        assert_eq!(read_capped(&mut resp, 4000).await.unwrap().len(), 4000);
        let mut resp = streamed(1_000_000, 1000);
        assert!(matches!(
            read_capped(&mut resp, 10_000).await,
            Err(BodyError::TooLarge)
        ));
    }
}
