/**
 * Where the ffmpeg and ffprobe binaries live. They ship inside npm packages so they install
 * offline and travel with the app; in a packaged app they sit in app.asar.unpacked.
 */
import ffmpegInstaller from '@ffmpeg-installer/ffmpeg';
import ffprobeInstaller from '@ffprobe-installer/ffprobe';
import { sep } from 'node:path';

const unpacked = (p: string) => p.replace(`app.asar${sep}`, `app.asar.unpacked${sep}`);

export const ffmpegPath = (): string => process.env.ALLIANCE_FFMPEG ?? unpacked(ffmpegInstaller.path);
export const ffprobePath = (): string => process.env.ALLIANCE_FFPROBE ?? unpacked(ffprobeInstaller.path);
