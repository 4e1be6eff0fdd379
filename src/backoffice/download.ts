// Saves a Blob the page fetched as a file the browser downloads.
export function saveBlob(blob: Blob, filename: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  link.hidden = true;
  document.body.append(link);
  link.click();
  link.remove();
  // the download has taken the blob by the next task; revoking at once can cancel it in some browsers
  setTimeout(() => URL.revokeObjectURL(url), 0);
}
