/** A video stream's packets as ffprobe lists them, one `pts_time,flags` line each (K in flags: a keyframe). */
export async function videoPacketLines(runner: { run(cmd: 'ffprobe', args: string[]): Promise<{ stdout: string }> }, path: string): Promise<string> {
  const { stdout } = await runner.run('ffprobe', [
    '-v',
    'error',
    '-select_streams',
    'v',
    '-show_entries',
    'packet=pts_time,flags',
    '-of',
    'csv=p=0',
    path,
  ]);
  return stdout;
}
